# The image docker-compose.yml runs: fundnews with its pinned dependencies.
FROM python:3.11-slim
WORKDIR /opt/fundnews
COPY requirements.lock pyproject.toml README.md scrapy.cfg ./
RUN pip install --no-cache-dir -r requirements.lock
COPY analysis analysis
COPY app app
COPY crawler crawler
COPY pipelines pipelines
COPY corpus corpus
RUN pip install --no-cache-dir --no-deps -e .
