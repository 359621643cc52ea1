"""The editions: an agreement in one language as Markdown, HTML and PDF, and ``sla build``,
which writes them all."""
