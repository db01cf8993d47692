//! A simulated Coder deployment for tests and demos.
