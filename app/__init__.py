"""The application on top of the layers: the `fundnews` command, the scheduler, the per-source
locks and the demo's web server. It may use every package below it (analysis, corpus,
crawler, pipelines); none of them imports it (tests/test_layers.py)."""
