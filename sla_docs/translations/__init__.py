"""Translators' files: every prose text of an agreement exported as PO or XLIFF for a
translator's tool, and the translations imported back into the YAML."""
