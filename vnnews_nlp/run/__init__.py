"""Running the pipeline on articles: analyze, records, worker pool, batch, Dask."""
