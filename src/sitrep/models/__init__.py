"""Run-time model pieces in plain numpy (``linear``: TF-IDF n-gram spaces and linear heads).

Training may use scikit-learn; reading articles never imports it."""
