//! What can stop a USL fit ([`FitError`]) or make it less trustworthy ([`FitWarning`]), in
//! words a person reading a load-test report can act on.

use std::fmt;

/// Which of a point's two numbers is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coordinate {
    Concurrency,
    Throughput,
}

/// A USL parameter, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    Lambda,
    Sigma,
    Kappa,
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Param::Lambda => "λ",
            Param::Sigma => "σ",
            Param::Kappa => "κ",
        })
    }
}

/// Why no fit was made.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// Fewer than 3 points: three parameters need three.
    TooFewPoints { got: usize },
    /// Point `index` (1-based) has a zero, negative or non-finite number.
    BadPoint { index: usize, coordinate: Coordinate, value: f64 },
    /// Every point was measured at the same concurrency.
    OneConcurrency { n: f64 },
    /// The numbers are so far apart that the model overflows at the starting point.
    OutOfRange,
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FitError::TooFewPoints { got } => {
                write!(f, "a scalability fit needs at least 3 (concurrency, throughput) points; got {got}")
            }
            FitError::BadPoint { index, coordinate, value } => {
                let name = match coordinate {
                    Coordinate::Concurrency => "concurrency",
                    Coordinate::Throughput => "throughput",
                };
                let problem = if !value.is_finite() {
                    "is not a finite number"
                } else if value == 0.0 {
                    "is zero"
                } else {
                    "is negative"
                };
                write!(f, "point {index}: {name} {value} {problem}; it must be a positive number")
            }
            FitError::OneConcurrency { n } => write!(
                f,
                "every point was measured at concurrency {n}: a scalability fit needs several \
                 concurrency levels"
            ),
            FitError::OutOfRange => {
                f.write_str("the concurrencies and throughputs are too extreme to fit in floating point")
            }
        }
    }
}

impl std::error::Error for FitError {}

/// Something about a fit that makes it less trustworthy than it looks.
#[derive(Debug, Clone, PartialEq)]
pub enum FitWarning {
    /// Fewer than 6 distinct concurrency levels.
    FewLevels { levels: usize },
    /// A parameter ended on a bound of its box.
    OnBound { param: Param, bound: f64 },
    /// The iteration cap was reached before the sum of squares settled.
    NotConverged { iterations: usize },
}

impl fmt::Display for FitWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FitWarning::FewLevels { levels } => {
                write!(f, "6 or more concurrency levels make σ and κ trustworthy; this sweep has {levels}")
            }
            FitWarning::OnBound { param, bound } => {
                let why = match (param, bound == 0.0) {
                    (Param::Sigma, true) => ": the data scale linearly or better (superlinear)",
                    (Param::Kappa, true) => ": no coherency cost was measured, so no peak is predicted",
                    _ => "",
                };
                write!(f, "{param} sits on its bound {bound}{why}; its standard error means little")
            }
            FitWarning::NotConverged { iterations } => {
                write!(f, "the fit stopped after {iterations} iterations without settling")
            }
        }
    }
}
