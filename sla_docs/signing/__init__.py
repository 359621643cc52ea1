"""``sla sign`` and ``sla verify``: PAdES signatures in the PDF editions' signature fields."""
