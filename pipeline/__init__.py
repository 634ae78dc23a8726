"""zh-pipeline: Chinese long-form text to print PDF and EPUB 3."""
