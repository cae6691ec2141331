"""The pure core of the register: money, tax, barcodes, cart, tenders and sales.

Imports only the standard library and small pure libraries (Babel, python-stdnum).
"""
