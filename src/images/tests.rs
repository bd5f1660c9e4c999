//! End-to-end tests of the processor on generated photos.
