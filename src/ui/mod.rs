//! The Yew front end: components only; formats nothing, computes nothing.
