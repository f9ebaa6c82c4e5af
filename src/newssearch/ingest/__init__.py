"""Reading articles: finding files (files), their formats (formats), reading one (read), dates, splitting paragraphs, and the pipeline read -> split -> speakers -> paragraph documents."""
