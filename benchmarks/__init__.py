"""Speed and memory of Tawsim on a generated news corpus: ``python -m benchmarks``."""
