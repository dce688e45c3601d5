"""The steps of ``experiments/calibrate.py``, one module each."""
