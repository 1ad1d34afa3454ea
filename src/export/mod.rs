//! Generated config files: one pure generator per file.
