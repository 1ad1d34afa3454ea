//! Generated config files: one pure generator per file, returning its text.
//! No config text is formatted anywhere else (not in `ui`).

pub mod gunicorn;

use crate::model::{workers, Plan};

/// A generated file: its name (a contract) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub text: String,
}

/// One line summarising the plan, for the header comment of every file.
pub fn summary(plan: &Plan) -> String {
    let w = workers::recommend(plan);
    format!(
        "{}: {} cores, {} GiB RAM, {} × {} {} process(es), {} node(s)",
        plan.name,
        plan.cores,
        plan.ram_gib,
        w.processes,
        w.per_process,
        plan.server,
        plan.replicas
    )
}

/// Every file that applies to the plan.
pub fn files(plan: &Plan) -> Vec<File> {
    vec![File { name: "gunicorn.conf.py".into(), text: gunicorn::render(plan) }]
}
