"""The national-scale benchmark: a synthetic dataset, measurement over real HTTP, a report.

`manage.py generate_national_dataset` builds the data; `manage.py benchmark` (and
`make bench`) builds it when missing, starts the production server and prints one JSON
document with every figure next to its target.
"""
