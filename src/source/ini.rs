//! TODO(skeleton): filled in by the loader work.
