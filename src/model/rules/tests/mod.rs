//! Tests of the rules, one per rule, named after it; a property test over random plans.

mod gunicorn;
