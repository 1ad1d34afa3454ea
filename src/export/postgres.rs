//! `postgresql.conf`: the model's PostgreSQL settings (PGTune's formulas, guides 000, 002,
//! 003), ready to `include` from the cluster's own postgresql.conf, which keeps the
//! paths, listen addresses and authentication of the distribution.

use std::fmt::Write;

use super::one_line;
use crate::model::rules::postgres::PG_VERSION;
use crate::model::rules::Postgres;

/// postgresql.conf below its header.
pub fn body(out: &mut String, p: &Postgres) {
    let _ = writeln!(out, "# PostgreSQL {PG_VERSION}, {}", one_line(&p.host.why));
    let _ = writeln!(out, "# Use: include '/etc/postgresql/{PG_VERSION}/main/conf.d/planner.conf' (or drop it in conf.d/).");
    out.push('\n');
    for (name, value, why) in p.explained_settings() {
        let _ = writeln!(out, "{name} = {value}  # {}", one_line(why));
    }
}

#[cfg(test)]
mod tests {
    use crate::export::text_of;
    use crate::model::Plan;
    use crate::model::rules::recommend;

    #[test]
    fn every_setting_of_the_model_is_written_once() {
        let plan = Plan::default();
        let p = recommend(&plan).postgres.unwrap();
        let t = text_of(&plan, "postgresql.conf");
        for (name, value) in p.settings() {
            assert_eq!(t.matches(&format!("\n{name} = ")).count(), 1, "{name}");
            assert!(t.contains(&format!("\n{name} = {value}  # ")), "{name} = {value} in {t}");
        }
        assert!(t.contains("\nshared_buffers = 4GB  # "), "{t}");
    }
}
