"""From results to what a reader sees: labels (vi/en), sentences, figures, tables, the executive summary."""
