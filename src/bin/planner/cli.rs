//! The command line itself (see the crate docs in `planner.rs`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use planner::export;

use crate::calibrate;
use planner::model::query::{self, Decoded};
use planner::model::{report, Plan};

const USAGE: &str = "usage: planner report [--plan QUERY|LINK | --plan-file FILE] [--format text|json]
       planner export [--plan QUERY|LINK | --plan-file FILE] --out DIR
       planner calibrate [--plan QUERY|LINK | --plan-file FILE] [--format text|json] [--check] [--with KEYS] FILE...
       planner fit [--plan QUERY|LINK | --plan-file FILE] [--format text|json]
       planner diff --plan A --plan B [--format text|json]     (or --plan-file, for either)";

const HELP: &str = "\
report: prints the capacity report of a plan.
export: writes every config file that applies to the plan into DIR (created if missing),
        and the plan's share link to DIR/plan.url; prints the paths written.
calibrate: reads load-test outputs (wrk, wrk2, oha, hey, ab, siege, k6, vegeta, locust CSV,
        or CSV rows of concurrency,throughput[,latency_ms]) run against one host of the plan
        (its cores, server and workers), fits the CPU and wait per request that make the
        model reproduce them, and prints each run beside the model, the fit, the USL over a
        concurrency sweep and the calibrated plan's query. With --check, fits nothing:
        holds the plan as it is against the runs (a plan calibrated on other runs, with
        other workers or cores, against these). --with KEYS (as a link writes them:
        workers=4, cores=8&workers=17) says where the host of the files after it differs
        from the plan, as a line `# host: KEYS` inside a file does for the runs after it;
        runs on hosts of different cores fit the USL's σ and κ too. The calibrated plan
        is marked measured (its `measured` key: the tools, files, runs, error and day).

fit: the cheapest fleets that carry the plan's target rate at its peak within the 70 %
        CPU target, with every class's p95 within its objective and the spare nodes lost:
        every node of 1–64 cores at 2, 4 or 8 GiB per core, with the fewest nodes of it,
        priced at cost_core_h and cost_gib_h (USD an hour), cheapest first.

diff: two plans side by side: the inputs that differ (A → B), each plan's capacity, p95,
        bottleneck and verdict, and every exported file that differs as a unified diff
        from A's to B's (what to change in production; `patch -p1` applies it). Identical
        plans: no changes, exit 0.

  --plan QUERY|LINK   the plan as a query string (cores=8&server=sync) or a share link
  --plan-file FILE    the same read from a file (several lines are joined with &)
  --format text|json  a table (default) or JSON (report)
  --out DIR           the directory to write the files to (export)

Without a plan, the default plan. Only values that differ from the defaults are needed.
Exit status: 0, or 2 for an invalid value, an unreadable load-test output (FILE:LINE) or\nbad usage.";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Report { source: Source, json: bool },
    Export { source: Source, out: String },
    Calibrate { source: Source, json: bool, check: bool, files: Vec<(String, String)> },
    Fit { source: Source, json: bool },
    Diff { sources: Vec<Source>, json: bool },
}

/// Where the plan comes from.
#[derive(Debug, PartialEq)]
enum Source {
    Default,
    Text(String),
    File(String),
}

/// Reads the arguments (without the program name).
///
/// # Errors
/// A sentence saying what is wrong with the usage.
fn parse_args(args: &[String]) -> Result<Command, String> {
    let (first, rest) = match args.split_first() {
        Some((first, rest)) => (first.as_str(), rest),
        None => return Err("no command given".to_string()),
    };
    let (export, calibrating) = match first {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "report" => (false, false),
        "export" => (true, false),
        "calibrate" => (false, true),
        "fit" | "diff" => (false, false),
        other => return Err(format!("unknown command '{other}'")),
    };
    let (mut source, mut json, mut out, mut files, mut check) = (Source::Default, false, None, Vec::new(), false);
    let mut both = Vec::new();
    let mut host = String::new();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if matches!(flag, "-h" | "--help") {
            return Ok(Command::Help);
        }
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{flag} needs a value"));
        match flag {
            "--plan" if first == "diff" => both.push(Source::Text(value()?)),
            "--plan-file" if first == "diff" => both.push(Source::File(value()?)),
            "--plan" => source = one_source(source, Source::Text(value()?))?,
            "--plan-file" => source = one_source(source, Source::File(value()?))?,
            "--format" if !export => json = is_json(&value()?)?,
            "--out" if export => out = Some(value()?),
            "--check" if calibrating => check = true,
            "--with" if calibrating => host = value()?,
            file if calibrating && !file.starts_with('-') => files.push((host.clone(), arg.clone())),
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    if export {
        let out = out.filter(|o| !o.is_empty()).ok_or("export needs --out DIR")?;
        return Ok(Command::Export { source, out });
    }
    if calibrating {
        if files.is_empty() {
            return Err("calibrate needs one or more load-test output files".to_string());
        }
        return Ok(Command::Calibrate { source, json, check, files });
    }
    if first == "fit" {
        return Ok(Command::Fit { source, json });
    }
    if first == "diff" {
        if both.len() != 2 {
            return Err("diff needs two plans: --plan A --plan B (or --plan-file)".to_string());
        }
        return Ok(Command::Diff { sources: both, json });
    }
    Ok(Command::Report { source, json })
}

/// The new source, unless one was already given.
fn one_source(old: Source, new: Source) -> Result<Source, String> {
    match old {
        Source::Default => Ok(new),
        _ => Err("give one of --plan and --plan-file, once".to_string()),
    }
}

/// Whether the format is JSON (else text).
fn is_json(format: &str) -> Result<bool, String> {
    match format {
        "json" => Ok(true),
        "text" => Ok(false),
        other => Err(format!("unknown format '{other}'; use text or json")),
    }
}

/// The plan's text from its source; a file's lines are joined with `&`.
///
/// # Errors
/// A sentence naming the file that cannot be read.
fn plan_text(source: &Source) -> Result<String, String> {
    match source {
        Source::Default => Ok(String::new()),
        Source::Text(text) => Ok(text.clone()),
        Source::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read '{path}': {e}"))?;
            let text = String::from_utf8_lossy(&bytes);
            Ok(text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("&"))
        }
    }
}

/// The text on one line: control characters (a decoded `%0A`) are shown escaped.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// The plan of a decoded link, with a warning line for unknown keys.
///
/// # Errors
/// The one line naming the first invalid value (or the version).
fn strict_plan(decoded: Decoded) -> Result<Plan, String> {
    let unknown = decoded.unknown.clone();
    let plan = decoded.strict().map_err(|e| e.to_string())?;
    if !unknown.is_empty() {
        eprintln!("planner: warning: unknown keys ignored: {}", one_line(&unknown.join(", ")));
    }
    Ok(plan)
}

/// Writes the plan's files into `out`; prints each path written; the exit status.
fn run_export(decoded: Decoded, out: &str) -> ExitCode {
    let plan = match strict_plan(decoded) {
        Ok(plan) => plan,
        Err(e) => return fail(&e),
    };
    let files = match export::files(&plan) {
        Ok(files) => files,
        Err(e) => return fail(&e.to_string()),
    };
    let dir = Path::new(out);
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(&format!("cannot create '{out}': {e}"));
    }
    let mut written = String::new();
    for f in &files {
        let path = dir.join(&f.name);
        if let Err(e) = std::fs::write(&path, &f.text) {
            return fail(&format!("cannot write '{}': {e}", path.display()));
        }
        written.push_str(&format!("{}\n", path.display()));
    }
    let _ = std::io::stdout().lock().write_all(written.as_bytes());
    ExitCode::SUCCESS
}

/// Prints the report of the decoded plan; the exit status.
fn run_report(decoded: Decoded, json: bool) -> ExitCode {
    let plan = match strict_plan(decoded) {
        Ok(plan) => plan,
        Err(e) => return fail(&e),
    };
    let r = report::report(&plan);
    let out = if json {
        match serde_json::to_string_pretty(&r) {
            Ok(s) => s + "\n",
            Err(e) => return fail(&format!("cannot write JSON: {e}")),
        }
    } else {
        report::text(&r, &plan)
    };
    // A closed pipe (`planner report | head -1`) is not an error of the plan.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// Prints the calibration of the decoded plan to the runs in `files`; the exit status.
fn run_calibrate(decoded: Decoded, json: bool, check: bool, files: &[(String, String)]) -> ExitCode {
    let plan = match strict_plan(decoded) {
        Ok(plan) => plan,
        Err(e) => return fail(&e),
    };
    let runs = match calibrate::read(files) {
        Ok(runs) => runs,
        Err(e) => return fail(&e),
    };
    let (c, calibrated) = match calibrate::fit(&plan, &runs, check) {
        Ok(fit) => fit,
        Err(e) => return fail(&e),
    };
    let out = if json {
        match serde_json::to_string_pretty(&calibrate::to_json(&runs, &c, &calibrated, check)) {
            Ok(s) => s + "\n",
            Err(e) => return fail(&format!("cannot write JSON: {e}")),
        }
    } else {
        calibrate::to_text(&runs, &c, &calibrated, check)
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// Prints the cheapest fleets for the decoded plan; the exit status.
fn run_fit(decoded: Decoded, json: bool) -> ExitCode {
    let plan = match strict_plan(decoded) {
        Ok(plan) => plan,
        Err(e) => return fail(&e),
    };
    let options = match planner::model::cheapest::search(&plan) {
        Ok(options) => options,
        Err(e) => return fail(&e.0),
    };
    let out = if json {
        match serde_json::to_string_pretty(&crate::fit::to_json(&options)) {
            Ok(s) => s + "\n",
            Err(e) => return fail(&format!("cannot write JSON: {e}")),
        }
    } else {
        crate::fit::to_text(&options)
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// Prints the comparison of two decoded plans; the exit status.
fn run_diff(a: Decoded, b: Decoded, json: bool) -> ExitCode {
    let (a, b) = match (strict_plan(a), strict_plan(b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) => return fail(&format!("plan A: {e}")),
        (_, Err(e)) => return fail(&format!("plan B: {e}")),
    };
    let files = match crate::diff::files(&a, &b) {
        Ok(files) => files,
        Err(e) => return fail(&e),
    };
    let out = if json {
        match serde_json::to_string_pretty(&crate::diff::to_json(&a, &b, &files)) {
            Ok(s) => s + "\n",
            Err(e) => return fail(&format!("cannot write JSON: {e}")),
        }
    } else {
        crate::diff::to_text(&a, &b, &files)
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// One line on stderr and exit status 2.
fn fail(message: &str) -> ExitCode {
    eprintln!("{}", one_line(message));
    ExitCode::from(2)
}

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let usage_error = |problem: String| {
        eprintln!("planner: {}\n{USAGE}", one_line(&problem));
        ExitCode::from(2)
    };
    match parse_args(&args) {
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout().lock(), "{USAGE}\n\n{HELP}");
            ExitCode::SUCCESS
        }
        Ok(Command::Report { source, json }) => match plan_text(&source) {
            Ok(text) => run_report(query::decode(&text), json),
            Err(problem) => usage_error(problem),
        },
        Ok(Command::Export { source, out }) => match plan_text(&source) {
            Ok(text) => run_export(query::decode(&text), &out),
            Err(problem) => usage_error(problem),
        },
        Ok(Command::Calibrate { source, json, check, files }) => match plan_text(&source) {
            Ok(text) => run_calibrate(query::decode(&text), json, check, &files),
            Err(problem) => usage_error(problem),
        },
        Ok(Command::Fit { source, json }) => match plan_text(&source) {
            Ok(text) => run_fit(query::decode(&text), json),
            Err(problem) => usage_error(problem),
        },
        Ok(Command::Diff { sources, json }) => match (plan_text(&sources[0]), plan_text(&sources[1])) {
            (Ok(a), Ok(b)) => run_diff(query::decode(&a), query::decode(&b), json),
            (Err(problem), _) | (_, Err(problem)) => usage_error(problem),
        },
        Err(problem) => usage_error(problem),
    }
}
