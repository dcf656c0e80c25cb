"""Imported by the analysis workers' forkserver (``pipelines/analyse.py``): the page
analysis imported and warmed up once, so every worker forked from it starts ready.

Warming up (trafilatura's and py3langid's models, the analysis' patterns) costs ~0.9 s
of CPU; done in each worker instead, that was 0.9 ms a page of worker CPU on a crawl of
2,000 pages with two workers, and again for every worker replaced.
"""

from crawler.page_analysis import warm_up

warm_up()
