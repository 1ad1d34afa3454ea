//! `postgresql.conf`: the model's PostgreSQL settings (PGTune's formulas, guides 000, 002,
//! 003), ready to `include` from the cluster's own postgresql.conf, which keeps the
//! paths, listen addresses and authentication of the distribution.

use super::why_line;
use crate::model::text::{digits, push_all};
use crate::model::rules::Postgres;

/// postgresql.conf below its header.
pub fn body(out: &mut String, version: u32, p: &Postgres) {
    let version = digits(version);
    push_all(out, &["# PostgreSQL ", &version, " only: "]);
    why_line(out, "", &p.host.why);
    push_all(out, &["# Install as /etc/postgresql/", &version, "/main/conf.d/planner.conf (Debian's postgresql.conf reads conf.d/).\n"]);
    out.push_str("# Restart to apply: shared_buffers, max_connections, huge_pages and the worker counts need it.\n");
    out.push_str("# With any error in the file a reload applies none of it and a start fails; check with\n");
    out.push_str("#   SELECT name, setting, error FROM pg_file_settings WHERE error IS NOT NULL;\n");
    out.push('\n');
    for (name, value, why) in p.explained_settings() {
        out.push_str(name);
        out.push_str(" = ");
        value.push_to(out);
        why_line(out, "  # ", why);
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
