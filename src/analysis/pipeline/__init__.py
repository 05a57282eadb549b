"""Running the review: notebooks through papermill, HTML and PDF, the manifest, the privacy scan, the CLI."""
