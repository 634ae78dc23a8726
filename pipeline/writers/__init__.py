"""Writers: model (and HTML) -> output bytes. Each owns its format's quirks."""
