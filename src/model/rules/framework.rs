//! The app's framework (Django, Flask, FastAPI or generic): the names the exported files
//! use — the entry point gunicorn loads, Django's settings module, the framework's
//! settings file — and the check that the framework can run on the plan's server class.
//!
//! Sources: gunicorn's `wsgi_app` ("module:callable", a factory call allowed since 20.1);
//! Django's `startproject` layout (`<project>/wsgi.py` and `<project>/asgi.py`, each with
//! `application`; `<project>/settings.py`); Flask's "Deploying to Production / Gunicorn"
//! (`'hello:app'`); FastAPI's "Bigger Applications" tutorial (`app/main.py` holding `app`,
//! run as `app.main:app`).

use super::checks::{Warning, WarningKind};
use crate::model::choice::{Framework, Server};
use crate::model::plan::Plan;

/// The entry point of a generic app, and of Flask's single-module app: `app` in `app.py`.
pub const GENERIC_ENTRY_POINT: &str = "app:app";

/// The service name as a Python package name: `-` becomes `_` (the name's charset is
/// lowercase letters, digits and `-`, starting with a letter, so the result is an
/// identifier). Django's `startproject shop_api` makes the package `shop_api`.
pub fn python_package(name: &str) -> String {
    name.replace('-', "_")
}

/// Whether the app server speaks ASGI to the app (uvicorn's worker) rather than WSGI
/// (gunicorn's sync, gthread and gevent workers).
pub fn is_asgi(server: Server) -> bool {
    server == Server::Async
}

/// What gunicorn loads (`wsgi_app`, module:callable):
/// - generic: `app:app`, as before frameworks were a choice;
/// - Django: `<package>.wsgi:application`, or `<package>.asgi:application` on the ASGI
///   server (startproject writes both; Django runs under uvicorn through asgi.py);
/// - Flask: `app:app`, the app object of Flask's quickstart and deployment docs (an
///   application factory is `app:create_app()`, written beside it as a comment: which one
///   an app uses only its author knows, and gunicorn fails at start, never silently, on the
///   other);
/// - FastAPI: `app.main:app`, the layout of FastAPI's "Bigger Applications" tutorial.
pub fn entry_point(plan: &Plan) -> String {
    match plan.framework {
        Framework::Generic | Framework::Flask => GENERIC_ENTRY_POINT.to_string(),
        Framework::Django => {
            let module = if is_asgi(plan.server) { "asgi" } else { "wsgi" };
            format!("{}.{module}:application", python_package(&plan.name))
        }
        Framework::Fastapi => "app.main:app".to_string(),
    }
}

/// Django's settings module, `<package>.settings` (startproject's layout); None for the
/// other frameworks.
pub fn settings_module(plan: &Plan) -> Option<String> {
    (plan.framework == Framework::Django).then(|| format!("{}.settings", python_package(&plan.name)))
}

/// The framework's settings file among the exported files; None for a generic app.
pub fn settings_file(framework: Framework) -> Option<&'static str> {
    match framework {
        Framework::Generic => None,
        Framework::Django => Some("django_settings.py"),
        Framework::Flask => Some("flask_settings.py"),
        Framework::Fastapi => Some("fastapi_settings.py"),
    }
}

/// How long a pooled connection lives before it is replaced, s: one hour, psycopg_pool's
/// default `max_lifetime` (Django's pool), given to SQLAlchemy as `pool_recycle` so every
/// framework's connections are renewed alike (a failover or a server's growing memory is
/// left behind within the hour).
pub fn pool_recycle_s() -> u32 {
    3600
}

/// A framework whose app speaks one interface on a server that calls the other: every
/// request fails. FastAPI is an ASGI app: gunicorn's own workers call it as WSGI
/// (`app(environ, start_response)`) and each request answers 500 ("missing 1 required
/// positional argument: 'send'"). Flask is a WSGI app: uvicorn's worker calls it as ASGI
/// and each request answers 500 ("missing … 'start_response'"). Django has both entry
/// points, and a generic app is whatever its author wrote.
pub fn interface_mismatch(framework: Framework, server: Server) -> Option<Warning> {
    match (framework, is_asgi(server)) {
        (Framework::Fastapi, false) => Some(Warning::new(
            WarningKind::AsgiAppOnWsgiServer,
            format!("FastAPI is an ASGI app, and gunicorn's {server} workers call an app as WSGI: every request fails with 500. Pick the async server (uvicorn workers)."),
        )),
        (Framework::Flask, true) => Some(Warning::new(
            WarningKind::WsgiAppOnAsgiServer,
            "Flask is a WSGI app, and uvicorn's workers call an app as ASGI: every request fails with 500. Pick gunicorn's sync, gthread or gevent server.",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::Severity;

    fn plan(name: &str, framework: Framework, server: Server) -> Plan {
        Plan { name: name.into(), framework, server, ..Plan::default() }
    }

    #[test]
    fn the_service_name_becomes_a_python_package() {
        assert_eq!(python_package("shop-api-2"), "shop_api_2");
        assert_eq!(python_package("app"), "app");
    }

    #[test]
    fn each_framework_has_its_entry_point() {
        let e = |name, f, s| entry_point(&plan(name, f, s));
        assert_eq!(e("shop", Framework::Generic, Server::Sync), "app:app");
        assert_eq!(e("shop", Framework::Generic, Server::Async), "app:app");
        assert_eq!(e("shop-api", Framework::Django, Server::Gthread), "shop_api.wsgi:application");
        assert_eq!(e("shop-api", Framework::Django, Server::Gevent), "shop_api.wsgi:application");
        assert_eq!(e("shop-api", Framework::Django, Server::Async), "shop_api.asgi:application");
        assert_eq!(e("shop", Framework::Flask, Server::Sync), "app:app");
        assert_eq!(e("shop", Framework::Fastapi, Server::Async), "app.main:app");
    }

    #[test]
    fn only_django_has_a_settings_module() {
        assert_eq!(settings_module(&plan("shop-api", Framework::Django, Server::Sync)).as_deref(), Some("shop_api.settings"));
        for f in [Framework::Generic, Framework::Flask, Framework::Fastapi] {
            assert_eq!(settings_module(&plan("shop", f, Server::Async)), None);
        }
    }

    #[test]
    fn an_app_on_a_server_of_the_other_interface_is_an_error() {
        for s in [Server::Sync, Server::Gthread, Server::Gevent] {
            let w = interface_mismatch(Framework::Fastapi, s).unwrap();
            assert_eq!((w.code, w.severity), ("asgi-app-on-wsgi-server", Severity::Error));
            assert!(w.message.contains(&format!("gunicorn's {s} workers")) && w.message.contains("async"), "{}", w.message);
            assert_eq!(interface_mismatch(Framework::Flask, s), None);
            assert_eq!(interface_mismatch(Framework::Django, s), None);
        }
        let w = interface_mismatch(Framework::Flask, Server::Async).unwrap();
        assert_eq!((w.code, w.severity), ("wsgi-app-on-asgi-server", Severity::Error));
        assert_eq!(interface_mismatch(Framework::Fastapi, Server::Async), None);
        // Django runs under uvicorn through its asgi.py: no warning.
        assert_eq!(interface_mismatch(Framework::Django, Server::Async), None);
        for s in Server::ALL {
            assert_eq!(interface_mismatch(Framework::Generic, *s), None);
        }
    }
}
