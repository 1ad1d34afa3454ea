//! Charts: plotters drawing into SVG strings. No yew.
