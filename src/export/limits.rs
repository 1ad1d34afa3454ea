//! `limits.conf` (and `limits-database.conf`): the open-file limits of guide 000 for the
//! service's user, as pam_limits reads them. Services started by systemd take their limit
//! from the unit's LimitNOFILE instead; this covers login shells and other supervisors.

use std::fmt::Write;

use super::one_line;
use crate::model::rules::Kernel;
use crate::model::Plan;

/// A limits file below its header.
pub fn body(out: &mut String, plan: &Plan, k: &Kernel, user: &str) {
    let _ = writeln!(out, "# Install in /etc/security/limits.d/{}.conf.", plan.name);
    let _ = writeln!(out, "# {}", one_line(&k.nofile.why));
    out.push_str("# <domain> <type> <item> <value>\n");
    let _ = writeln!(out, "{user} soft nofile {}", k.nofile.value);
    let _ = writeln!(out, "{user} hard nofile {}", k.nofile.value);
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
