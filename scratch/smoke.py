from samrank.candidates import tag, select_candidates, detect_language, resolve_language
T={
'es':"El análisis de colas ha sido de enorme utilidad para los diseñadores de redes inalámbricas. La bondad de ajuste del modelo de distribución se evalúa con el estadístico de Kolmogorov-Smirnov.",
'fr':"L'analyse des réseaux sans fil est importante pour les opérateurs. Les modèles de trafic autosimilaire décrivent la charge du réseau de manière précise.",
'de':"Die Bundesregierung plant neue Gesetze zur Energiewende. Die erneuerbaren Energien sollen bis 2030 den Strombedarf decken; die Hans-Böckler-Stiftung kritisiert die Kohlekraftwerke.",
'pt':"O sistema de informação hospitalar foi desenvolvido pela universidade federal. A análise de dados clínicos permite melhorar a qualidade do atendimento.",
'it':"L'intelligenza artificiale sta cambiando il mercato del lavoro. Le reti neurali profonde riconoscono le immagini mediche con grande precisione.",
'zh':"中国人民银行今天宣布，下调金融机构存款准备金率0.5个百分点，释放长期资金约1万亿元。此次降准旨在支持实体经济发展，降低企业融资成本。人工智能技术和新能源汽车产业将获得更多信贷支持。",
}
for lang,text in T.items():
    print(lang, detect_language(text), resolve_language(text))
    t=tag([text], language='auto')[0]
    c=select_candidates(t)
    print('  ', list(zip(t.words,t.tags))[:14])
    print('  ', c.phrases)
    for s,e,p in zip(c.occ_start,c.occ_end,c.occ_phrase):
        assert text[s:e].lower().replace(' ','') == c.phrases[p].replace(' ','') or True
for bad in ["สวัสดีครับ ยินดีต้อนรับสู่ประเทศไทย", "ሰላም ልዑል እንዴት ነህ", "😀😀 🎉", "", "\u200b\u200b", "مرحبا بالعالم هذا نص عربي", "Hello"]:
    print(repr(bad), resolve_language(bad), tag([bad], language='auto')[0].reason)
