//! Every choice of the plan as an enum with `Display`/`FromStr`, spelled as in the
//! plan's query string (version 1, a public contract: never rename a spelling).

use std::fmt;
use std::str::FromStr;

/// Declares a choice enum whose variants are written in the query string as the
/// given spellings, with a human label for the form.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in the order the form lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in the query string.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The label shown to a person.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                find_key(s, &[$($text),+]).map(|i| Self::ALL[i])
            }
        }
    };
}

/// The place of `s` (trimmed) among a choice's spellings; else the spellings joined
/// with `|`, for the message. One function for every choice.
fn find_key(s: &str, keys: &[&str]) -> Result<usize, String> {
    let s = s.trim();
    keys.iter().position(|k| *k == s).ok_or_else(|| keys.join("|"))
}

choice!(
    /// Benchmark tier of guide 004; a preset of cores and RAM.
    Tier {
        Small => "small", "Small (2 cores / 4 GiB)";
        Medium => "medium", "Medium (4 cores / 8 GiB)";
        Large => "large", "Large (8 cores / 16 GiB)";
        Custom => "custom", "Custom";
    }
);

impl Tier {
    /// The three benchmark tiers of guide 004 (without Custom).
    pub const BENCHMARKS: [Tier; 3] = [Tier::Small, Tier::Medium, Tier::Large];

    /// Cores and RAM (GiB) of the tier (004 "Performance Benchmarks"); None for Custom.
    pub fn node(self) -> Option<(u32, f64)> {
        match self {
            Tier::Small => Some((2, 4.0)),
            Tier::Medium => Some((4, 8.0)),
            Tier::Large => Some((8, 16.0)),
            Tier::Custom => None,
        }
    }
}

choice!(
    /// Storage of a host; drives random_page_cost and effective_io_concurrency.
    Storage {
        Hdd => "hdd", "HDD";
        Ssd => "ssd", "SSD";
        Nvme => "nvme", "NVMe";
    }
);

choice!(
    /// The application server (gunicorn worker class, or an async ASGI server).
    Server {
        Sync => "sync", "gunicorn sync";
        Gthread => "gthread", "gunicorn gthread (threads)";
        Gevent => "gevent", "gunicorn gevent (greenlets)";
        Async => "async", "async ASGI (uvicorn workers)";
    }
);

choice!(
    /// The web framework of the app: the exported files use its names (entry point,
    /// settings, pool options, session cookie). Generic: the files as for any app.
    Framework {
        Generic => "generic", "Generic (any WSGI/ASGI app)";
        Django => "django", "Django";
        Flask => "flask", "Flask";
        Fastapi => "fastapi", "FastAPI";
    }
);

choice!(
    /// The database of the plan.
    Database {
        None => "none", "None";
        Postgres => "postgres", "PostgreSQL";
    }
);

choice!(
    /// Where PostgreSQL runs: on its own host, or on the app node (then it shares its RAM).
    DbHost {
        Own => "own", "Its own host";
        App => "app", "On the app node";
    }
);

choice!(
    /// A cache in front of the database.
    Cache {
        None => "none", "None";
        Redis => "redis", "Redis";
    }
);

choice!(
    /// The reverse proxy in front of the app server.
    Proxy {
        Nginx => "nginx", "nginx";
        None => "none", "None";
    }
);

choice!(
    /// Where the app runs.
    Platform {
        Hosts => "hosts", "Plain hosts (systemd)";
        K8s => "k8s", "Kubernetes";
    }
);

choice!(
    /// Workload type of the guide-002 Kubernetes sizing table.
    Workload {
        Web => "web", "Web API";
        Compute => "compute", "Heavy compute";
        Job => "job", "Background job";
    }
);

choice!(
    /// On/off switch (PgBouncer).
    Switch {
        On => "on", "On";
        Off => "off", "Off";
    }
);

impl Switch {
    pub fn is_on(self) -> bool {
        self == Switch::On
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_round_trips_through_its_spelling() {
        for s in Server::ALL {
            assert_eq!(s.key().parse::<Server>(), Ok(*s));
        }
        for t in Tier::ALL {
            assert_eq!(t.to_string().parse::<Tier>(), Ok(*t));
        }
    }

    #[test]
    fn an_unknown_spelling_lists_the_valid_ones() {
        assert_eq!("fast".parse::<Storage>(), Err("hdd|ssd|nvme".to_string()));
    }
}
