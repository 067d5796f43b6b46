import cProfile, pstats, sys
sys.argv=['x','--limit','3','--cache','/tmp/samrank-lang-12x','--no-minilm']
sys.path.insert(0,'benchmarks')
import languages as L
cProfile.run('L.main()', '/tmp/lang.prof')
pstats.Stats('/tmp/lang.prof').sort_stats('cumtime').print_stats(25)
