//! Maps in and out of other formats, each in its own module: today the
//! action plan as CSV (`waymark export MAP --plan -o plan.csv`).

pub mod plan_csv;
