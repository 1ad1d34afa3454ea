//! `limits.conf` (and `limits-database.conf`): the open-file limits of guide 000 for the
//! service's user, as pam_limits reads them. Services started by systemd take their limit
//! from the unit's LimitNOFILE instead; this covers login shells and other supervisors.

use super::why_line;
use crate::model::rules::Kernel;
use crate::model::text::{digits, push_all};
use crate::model::Plan;

/// A limits file below its header.
pub fn body(out: &mut String, plan: &Plan, k: &Kernel, user: &str) {
    push_all(out, &["# Install in /etc/security/limits.d/", &plan.name, ".conf.\n"]);
    why_line(out, "# ", &k.nofile.why);
    out.push_str("# <domain> <type> <item> <value>\n");
    let nofile = digits(k.nofile.value);
    push_all(out, &[user, " soft nofile ", &nofile, "\n"]);
    push_all(out, &[user, " hard nofile ", &nofile, "\n"]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::rules::recommend;

    #[test]
    fn soft_and_hard_nofile_for_the_service_user() {
        let plan = Plan::default();
        let k = recommend(&plan).kernel;
        let t = text_of(&plan, "limits.conf");
        assert!(t.contains(&format!("\napp soft nofile {}\napp hard nofile {}\n", k.nofile.value, k.nofile.value)), "{t}");
    }
}
