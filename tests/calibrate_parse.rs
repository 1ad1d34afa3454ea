//! The load-test readers against real outputs (`tests/fixtures/loadtest/`, each one's
//! origin in `ORIGIN.md`): every figure below was read off the file by eye.

use planner::calibrate::{parse, Run, Tool};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/loadtest/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[track_caller]
fn one(name: &str) -> Run {
    let runs = parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(runs.len(), 1, "{name}: {runs:?}");
    runs.into_iter().next().unwrap()
}

#[track_caller]
fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() <= 1e-9 * expected.abs().max(1.0), "{actual} != {expected}");
}

#[track_caller]
fn close_opt(actual: Option<f64>, expected: f64) {
    close(actual.unwrap_or(f64::NAN), expected);
}

#[track_caller]
fn pct(run: &Run, percent: f64, ms: f64) {
    close_opt(run.percentile_ms(percent), ms);
}

#[track_caller]
fn percents(run: &Run) -> Vec<f64> {
    run.percentiles_ms.iter().map(|(p, _)| *p).collect()
}

// ---- wrk / wrk2 (real runs) ----

#[test]
fn wrk_plain_reads_requests_per_sec_not_the_per_thread_req_sec() {
    let r = one("wrk-plain.txt");
    assert_eq!((r.tool, r.line), (Tool::Wrk, 1));
    close(r.throughput_rps, 3109.73);
    close_opt(r.concurrency, 10.0);
    assert_eq!(r.requests, Some(15673));
    close_opt(r.duration_s, 5.04);
    close_opt(r.mean_ms, 3.39);
    close_opt(r.max_ms, 39.97);
    assert!(r.percentiles_ms.is_empty());
    assert_eq!((r.errors, r.non_2xx, r.rate_rps), (0, 0, None));
}

#[test]
fn wrk_latency_reads_its_four_percentiles() {
    let r = one("wrk-latency.txt");
    close(r.throughput_rps, 3192.93);
    assert_eq!(percents(&r), [50.0, 75.0, 90.0, 99.0]);
    pct(&r, 50.0, 2.83);
    pct(&r, 99.0, 9.15);
    assert_eq!(r.requests, Some(16017));
}

#[test]
fn wrk_non_2xx_are_counted() {
    let r = one("wrk-non2xx.txt");
    close(r.throughput_rps, 5836.88);
    assert_eq!((r.non_2xx, r.errors, r.requests), (29292, 0, Some(29292)));
    pct(&r, 99.0, 12.72);
}

#[test]
fn wrk_socket_errors_are_summed() {
    let r = one("wrk-socket-errors.txt");
    close(r.throughput_rps, 17.71);
    close_opt(r.concurrency, 20.0);
    assert_eq!((r.errors, r.non_2xx, r.requests), (69, 0, Some(89)));
    close_opt(r.mean_ms, 577.83);
    pct(&r, 50.0, 503.19);
    pct(&r, 99.0, 999.77);
}

#[test]
fn wrk2_reads_the_recorded_latency() {
    let r = one("wrk2-latency.txt");
    assert_eq!(r.tool, Tool::Wrk2);
    close(r.throughput_rps, 2000.28);
    close_opt(r.concurrency, 100.0);
    assert_eq!(r.rate_rps, None, "wrk2 does not print -R");
    assert_eq!(percents(&r), [50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 99.999, 100.0]);
    pct(&r, 50.0, 6.67);
    pct(&r, 99.0, 11.18);
    pct(&r, 100.0, 12.50);
    assert_eq!(r.requests, Some(60018));
    close_opt(r.duration_s, 30.0);
}

#[test]
fn wrk2_skips_the_uncorrected_block_of_u() {
    let r = one("wrk2-uncorrected.txt");
    assert_eq!(r.tool, Tool::Wrk2);
    close(r.throughput_rps, 249.19);
    assert_eq!(r.percentiles_ms.len(), 8);
    pct(&r, 50.0, 17_370.0);
    pct(&r, 99.0, 26_000.0);
    close_opt(r.mean_ms, 17_420.0);
    assert_eq!(r.requests, Some(7477));
}

// ---- hey (real runs) ----

#[test]
fn hey_reads_seconds_into_ms_and_status_codes_into_requests() {
    let r = one("hey-plain.txt");
    assert_eq!((r.tool, r.line, r.concurrency), (Tool::Hey, 2, None));
    close(r.throughput_rps, 2787.3855);
    close_opt(r.duration_s, 5.0129);
    close_opt(r.mean_ms, 3.6);
    close_opt(r.max_ms, 23.4);
    assert_eq!(percents(&r), [10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0]);
    pct(&r, 50.0, 3.3);
    pct(&r, 99.0, 7.7);
    assert_eq!((r.requests, r.errors, r.non_2xx), (Some(13973), 0, 0));
}

#[test]
fn hey_errors_are_the_error_distribution() {
    let r = one("hey-errors.txt");
    close(r.throughput_rps, 39.8270);
    assert_eq!((r.requests, r.errors, r.non_2xx), (Some(33), 147, 0));
    close_opt(r.max_ms, 1000.2);
    close_opt(r.mean_ms, 565.7);
}

#[test]
fn hey_non_2xx() {
    let r = one("hey-non2xx.txt");
    close(r.throughput_rps, 4030.2408);
    assert_eq!((r.requests, r.non_2xx), (Some(20160), 20160));
}

// ---- ab (real runs) ----

#[test]
fn ab_reads_concurrency_level_and_whole_ms_percentiles() {
    let r = one("ab-plain.txt");
    assert_eq!((r.tool, r.line), (Tool::Ab, 1));
    close(r.throughput_rps, 2198.02);
    close_opt(r.concurrency, 10.0);
    assert_eq!(r.requests, Some(5000));
    close_opt(r.duration_s, 2.275);
    close_opt(r.mean_ms, 4.550);
    assert_eq!(percents(&r), [50.0, 66.0, 75.0, 80.0, 90.0, 95.0, 98.0, 99.0, 100.0]);
    pct(&r, 50.0, 4.0);
    pct(&r, 99.0, 10.0);
    close_opt(r.max_ms, 42.0);
    assert_eq!((r.errors, r.non_2xx), (0, 0));
}

#[test]
fn ab_non_2xx() {
    let r = one("ab-non2xx.txt");
    close(r.throughput_rps, 2728.08);
    assert_eq!((r.non_2xx, r.errors), (5000, 0));
}

#[test]
fn ab_length_failures_are_not_errors() {
    let text = fixture("ab-plain.txt").replace(
        "Failed requests:        0\n",
        "Failed requests:        7\n   (Connect: 0, Receive: 2, Length: 4, Exceptions: 1)\n",
    );
    assert_eq!(parse(&text).unwrap()[0].errors, 3);
}

// ---- siege (real runs, text and JSON) ----

#[test]
fn siege_text_prefers_the_configured_users() {
    let r = one("siege-plain.txt");
    assert_eq!((r.tool, r.line), (Tool::Siege, 1));
    close(r.throughput_rps, 1604.10);
    close_opt(r.concurrency, 5.0);
    assert_eq!(r.requests, Some(7427));
    close_opt(r.duration_s, 4.63);
    close_opt(r.max_ms, 20.0);
    assert_eq!((r.errors, r.non_2xx), (0, 0));
}

#[test]
fn siege_non_2xx_are_the_unsuccessful_transactions() {
    let r = one("siege-non2xx.txt");
    close(r.throughput_rps, 3438.35);
    assert_eq!((r.requests, r.non_2xx), (Some(17123), 17123));
}

#[test]
fn siege_json_reads_the_measured_concurrency() {
    let r = one("siege-json.json");
    assert_eq!(r.tool, Tool::Siege);
    close(r.throughput_rps, 1588.68);
    close_opt(r.concurrency, 4.93);
    assert_eq!(r.requests, Some(7721));
    close_opt(r.duration_s, 4.86);
    close_opt(r.max_ms, 40.0);
    let r = one("siege-non2xx.json");
    close(r.throughput_rps, 3028.08);
    assert_eq!(r.non_2xx, 14989);
}

// ---- locust (real run) ----

#[test]
fn locust_stats_reads_the_aggregated_row() {
    let r = one("locust-stats.csv");
    assert_eq!((r.tool, r.line, r.concurrency), (Tool::Locust, 4, None));
    close(r.throughput_rps, 640.6720408087906);
    assert_eq!((r.requests, r.errors), (Some(7057), 705));
    close_opt(r.mean_ms, 4.880199442253853);
    close_opt(r.max_ms, 24.36414300245815);
    assert_eq!(r.percentiles_ms.len(), 11);
    pct(&r, 50.0, 4.0);
    pct(&r, 99.0, 13.0);
    pct(&r, 100.0, 24.0);
}

#[test]
fn locust_history_is_one_run_per_user_count() {
    let runs = parse(&fixture("locust-stats-history.csv")).unwrap();
    let users: Vec<_> = runs.iter().map(|r| r.concurrency).collect();
    assert_eq!(users, [Some(1.0), Some(2.0), Some(3.0), Some(4.0)]);
    assert_eq!(runs.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 4, 5, 6]);
    close(runs[0].throughput_rps, 249.0);
    assert_eq!((runs[0].requests, runs[0].errors), (Some(249), 18));
    close(runs[1].throughput_rps, 467.0);
    close(runs[2].throughput_rps, 454.0);
    let last = &runs[3];
    close(last.throughput_rps, (7057.0 - 1170.0) / 8.0);
    assert_eq!((last.requests, last.errors), (Some(5887), 587));
    close_opt(last.duration_s, 8.0);
    pct(last, 99.0, 13.0);
    pct(last, 100.0, 24.0);
}

// ---- k6 (documentation and public samples) ----

#[test]
fn k6_legacy_summary() {
    let r = one("k6-summary-legacy.txt");
    assert_eq!((r.tool, r.line), (Tool::K6, 9));
    close(r.throughput_rps, 4044.482011);
    close_opt(r.concurrency, 80.0);
    assert_eq!((r.requests, r.errors), (Some(40495), 0));
    close_opt(r.duration_s, 10.0);
    close_opt(r.mean_ms, 19.74);
    close_opt(r.max_ms, 118.55);
    assert_eq!(percents(&r), [50.0, 90.0, 95.0], "no p99 unless asked for");
    pct(&r, 50.0, 18.63);
    pct(&r, 95.0, 37.97);
}

#[test]
fn k6_p99_is_read_when_summary_trend_stats_asks_for_it() {
    let text = fixture("k6-summary-legacy.txt")
        .replace("p(95)=37.97ms\n       {", "p(95)=37.97ms p(99)=61.2ms p(99.9)=90.01ms\n       {");
    let r = one_text(&text);
    assert_eq!(percents(&r), [50.0, 90.0, 95.0, 99.0, 99.9]);
    pct(&r, 99.0, 61.2);
}

#[test]
fn k6_v1_summary_reads_failures_out_of_and_vus_max() {
    let r = one("k6-summary-v1.txt");
    close(r.throughput_rps, 6.169386);
    close_opt(r.concurrency, 20.0);
    assert_eq!((r.requests, r.errors), (Some(1327), 131));
    close_opt(r.mean_ms, 38.81);
    close_opt(r.max_ms, 204.04);
    pct(&r, 50.0, 20.19);
    pct(&r, 90.0, 126.13);
    pct(&r, 95.0, 148.92);
    assert_eq!(r.percentile_ms(99.0), None);
}

#[test]
fn k6_summary_export() {
    let r = one("k6-summary-export.json");
    assert_eq!(r.tool, Tool::K6);
    close(r.throughput_rps, 528.3735309289374);
    assert_eq!((r.requests, r.errors), (Some(1587), 0));
    close_opt(r.concurrency, 3.0);
    close_opt(r.duration_s, 1587.0 / 528.3735309289374);
    close_opt(r.mean_ms, 3.8487845677378676);
    pct(&r, 50.0, 3.558046);
    pct(&r, 95.0, 7.593239699999984);
    assert_eq!(percents(&r), [50.0, 90.0, 95.0]);
}

// ---- oha (public sample of --json) ----

#[test]
fn oha_json_reads_seconds_into_ms() {
    let r = one("oha-json.json");
    assert_eq!((r.tool, r.concurrency), (Tool::Oha, None));
    close(r.throughput_rps, 2766.4370954309866);
    close_opt(r.duration_s, 10.003119191);
    close_opt(r.mean_ms, 7.225086946841218);
    close_opt(r.max_ms, 71.233484);
    assert_eq!(r.percentiles_ms.len(), 9);
    pct(&r, 50.0, 4.653315);
    pct(&r, 99.0, 41.193928);
    pct(&r, 99.99, 70.767424);
    assert_eq!((r.requests, r.errors, r.non_2xx), (Some(27653), 20, 0));
}

// ---- vegeta (README and public samples) ----

#[test]
fn vegeta_text_status_0_is_errors() {
    let r = one("vegeta-text.txt");
    assert_eq!((r.tool, r.concurrency), (Tool::Vegeta, None));
    close(r.throughput_rps, 65.87);
    close_opt(r.rate_rps, 120.0);
    assert_eq!((r.requests, r.errors, r.non_2xx), (Some(1200), 535, 0));
    close_opt(r.duration_s, 10.094965987);
    close_opt(r.mean_ms, 113.172398);
    assert_eq!(percents(&r), [50.0, 95.0, 99.0], "this release printed no 90");
    pct(&r, 99.0, 247.771566);
    close_opt(r.max_ms, 264.815246);
}

#[test]
fn vegeta_json_is_in_nanoseconds() {
    let r = one("vegeta-report.json");
    close(r.throughput_rps, 101.00012489812);
    close_opt(r.rate_rps, 101.01010672380401);
    assert_eq!(r.requests, Some(100));
    close_opt(r.duration_s, (989_999_944.0 + 3_507_222.0) / 1e9);
    close_opt(r.mean_ms, 2.371194);
    pct(&r, 50.0, 2.854306);
    pct(&r, 99.0, 3.53);
    close_opt(r.max_ms, 3.660505);
}

#[test]
fn vegeta_go_durations_and_micro_sign() {
    let r = one("vegeta-go-durations.txt");
    close_opt(r.duration_s, 300.0);
    close_opt(r.mean_ms, 1.293);
    pct(&r, 90.0, 1.478);
    close_opt(r.max_ms, 16.369);
    assert_eq!(r.requests, Some(30000));
}

// ---- CSV ----

#[test]
fn csv_with_a_header_skips_only_the_header() {
    let runs = parse(&fixture("csv-header.csv")).unwrap();
    assert_eq!(runs.len(), 6);
    assert_eq!((runs[0].tool, runs[0].line), (Tool::Csv, 2));
    close_opt(runs[0].concurrency, 1.0);
    close(runs[0].throughput_rps, 955.16);
    close_opt(runs[0].mean_ms, 1.05);
    close(runs[5].throughput_rps, 12074.39);
}

#[test]
fn csv_without_a_header_keeps_the_first_row() {
    let runs = parse(&fixture("csv-no-header.csv")).unwrap();
    assert_eq!(runs.len(), 4);
    assert_eq!(runs[0].line, 1);
    close_opt(runs[0].concurrency, 1.0);
    close(runs[0].throughput_rps, 955.16);
    assert_eq!(runs[0].mean_ms, None);
    let semicolons = parse("N;X\n1;10\n2;19\n").unwrap();
    assert_eq!(semicolons.len(), 2);
}

// ---- edge cases ----

#[test]
fn two_pasted_wrk_outputs_are_two_runs() {
    let text = format!("{}{}", fixture("wrk-plain.txt"), fixture("wrk-latency.txt"));
    let runs = parse(&text).unwrap();
    assert_eq!(runs.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 9]);
    close(runs[0].throughput_rps, 3109.73);
    close(runs[1].throughput_rps, 3192.93);
    assert!(runs[0].percentiles_ms.is_empty() && runs[1].percentiles_ms.len() == 4);
}

#[test]
fn a_wrk_sweep_is_one_run_per_connection_count() {
    let runs = parse(&fixture("wrk-sweep.txt")).unwrap();
    let by_n: Vec<_> = runs.iter().map(|r| (r.line, r.concurrency, r.throughput_rps)).collect();
    assert_eq!(
        by_n,
        [(1, Some(1.0), 389.95), (14, Some(2.0), 751.88), (27, Some(4.0), 1508.09), (40, Some(8.0), 2845.11)]
    );
    pct(&runs[3], 99.0, 4.86);
    assert_eq!(runs[0].requests, Some(1171));
}

#[test]
fn every_text_tool_reads_two_pasted_outputs_as_two_runs() {
    for name in [
        "ab-plain.txt", "hey-plain.txt", "oha-text.txt", "siege-plain.txt", "k6-summary-legacy.txt",
        "k6-summary-v1.txt", "vegeta-text.txt", "wrk2-latency.txt",
    ] {
        let one = fixture(name);
        let runs = parse(&format!("{one}\n{one}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(runs.len(), 2, "{name}");
        assert_eq!(runs[1].line, runs[0].line + one.matches('\n').count() + 1, "{name}");
        assert_eq!((&runs[0].percentiles_ms, runs[0].throughput_rps), (&runs[1].percentiles_ms, runs[1].throughput_rps));
    }
}

#[test]
fn a_paste_without_its_first_lines_still_reads() {
    // From `Latency Distribution` on: no `Running` line, no connections.
    let text: String = fixture("wrk-latency.txt").lines().skip(5).map(|l| format!("{l}\n")).collect();
    let r = one_text(&text);
    assert_eq!((r.line, r.concurrency), (2, None));
    assert_eq!(r.percentiles_ms.len(), 4);
    close(r.throughput_rps, 3192.93);
}

#[test]
fn micro_sign_and_greek_mu_read_the_same() {
    let micro = fixture("wrk-latency.txt").replace("2.83ms", "830.00µs").replace("3.36ms", "900.00μs");
    let r = &parse(&micro).unwrap()[0];
    pct(r, 50.0, 0.83);
    pct(r, 75.0, 0.9);
    let us = micro.replace(['µ', 'μ'], "u");
    assert_eq!(parse(&us).unwrap()[0].percentiles_ms, r.percentiles_ms);
}

#[test]
fn hey_double_percent_builds() {
    let text = fixture("hey-plain.txt").replace("50% in", "50%% in");
    pct(&parse(&text).unwrap()[0], 50.0, 3.3);
}

#[test]
fn oha_text_reads_ms_and_the_error_distribution() {
    let r = one("oha-text.txt");
    assert_eq!((r.tool, r.line, r.concurrency), (Tool::Oha, 1, None));
    close(r.throughput_rps, 3013.5710);
    close_opt(r.duration_s, 5.0020391);
    close_opt(r.mean_ms, 3.3131);
    close_opt(r.max_ms, 11.5564);
    assert_eq!(percents(&r), [10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99]);
    pct(&r, 50.0, 3.0735);
    pct(&r, 99.0, 6.0775);
    pct(&r, 99.99, 10.1901);
    assert_eq!((r.requests, r.errors, r.non_2xx), (Some(15064), 10, 0));
}

#[test]
fn oha_json_non_2xx() {
    let r = one("oha-json-non2xx.json");
    close(r.throughput_rps, 6034.141059772128);
    close_opt(r.duration_s, 5.002534694);
    close_opt(r.mean_ms, 1.6533764590098738);
    close_opt(r.max_ms, 19.871945);
    pct(&r, 50.0, 1.291174);
    pct(&r, 99.0, 7.094099);
    assert_eq!((r.requests, r.non_2xx, r.errors), (Some(30178), 30178, 8));
}

#[test]
fn oha_text_older_latency_distribution_heading() {
    // Releases before the `Response time distribution:` heading printed hey's layout
    // (`Latency distribution:`, whole percents, `secs`), per hatoo/oha's printer history.
    let old = fixture("oha-text.txt")
        .replace("Response time distribution:", "Latency distribution:")
        .replace(".00% in", "% in")
        .replace("50% in 3.0735 ms", "50% in 0.0031 secs");
    let r = one_text(&old);
    assert_eq!(r.tool, Tool::Oha);
    pct(&r, 50.0, 3.1);
    pct(&r, 99.9, 8.0487);
}

fn one_text(text: &str) -> Run {
    let runs = parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(runs.len(), 1);
    runs.into_iter().next().unwrap()
}

#[test]
fn truncated_input_is_an_error_with_a_line() {
    let text = fixture("wrk-latency.txt");
    let cut: String = text.lines().take(11).collect::<Vec<_>>().join("\n");
    let err = parse(&cut).unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.message.contains("Requests/sec"), "{err}");
    let json = fixture("oha-json.json");
    let err = parse(&json[..json.len() / 2]).unwrap_err();
    assert!(err.line > 1, "{err}");
}

#[test]
fn long_numbers_are_short_in_messages() {
    let text = fixture("vegeta-text.txt").replace("50, 95, 99,", "50, 95, 1e-320,");
    let err = parse(&text).unwrap_err();
    assert!(err.message.len() < 120 && err.message.contains("1e-320"), "{err}");
}

#[test]
fn a_long_json_key_is_clipped_in_messages() {
    let key = "p".repeat(5000);
    let text = fixture("oha-json.json").replace("\"p10\"", &format!("\"{key}\""));
    let err = parse(&text).unwrap_err();
    assert!(err.message.len() < 200, "{}", err.message.len());
}

#[test]
fn bad_numbers_name_the_line_and_the_field() {
    let text = fixture("wrk-plain.txt");
    for bad in ["NaN", "inf", "-3109.73", "1e999", "x"] {
        let err = parse(&text.replace("3109.73", bad)).unwrap_err();
        assert_eq!(err.line, 7, "{bad}: {err}");
        assert!(err.message.contains("Requests/sec"), "{bad}: {err}");
        assert!(err.to_string().starts_with("line 7: "), "{err}");
    }
}

#[test]
fn unrecognised_text_names_line_1_and_the_tools() {
    for text in ["", "hello world", "{\"a\": 1}", "a,b,c,d\n1,2,3,4\n"] {
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, 1, "{text:?}");
        for tool in ["wrk", "oha", "hey", "ab", "siege", "k6", "vegeta", "locust", "CSV"] {
            assert!(err.message.contains(tool), "{err}");
        }
    }
}

#[test]
fn tool_names_display_and_parse_back() {
    for tool in Tool::ALL {
        assert_eq!(tool.to_string().parse::<Tool>(), Ok(tool));
    }
    assert_eq!(Tool::Wrk2.to_string(), "wrk2");
}

#[test]
fn host_lines_say_which_host_the_runs_after_them_ran_on() {
    let (w2, w4) = (fixture("gunicorn-sync-w2.txt"), fixture("gunicorn-sync-w4.txt"));
    let text = format!("{w2}\n# host: workers=4\n{w4}\n  HOST:   cores=8&workers=17  \n{}", fixture("hey-plain.txt"));
    let runs = planner::calibrate::parse_hosts(&text).unwrap();
    let (n2, n4) = (planner::calibrate::parse(&w2).unwrap().len(), planner::calibrate::parse(&w4).unwrap().len());
    assert_eq!(runs.len(), n2 + n4 + 1);
    assert!(runs[..n2].iter().all(|(h, _)| h.is_empty()), "before any host line: the plan's host");
    assert!(runs[n2..n2 + n4].iter().all(|(h, r)| h == "workers=4" && r.tool == Tool::Wrk));
    assert_eq!((runs[n2 + n4].0.as_str(), runs[n2 + n4].1.tool), ("cores=8&workers=17", Tool::Hey));
    // Lines are numbered in the whole text: the first run after the host line starts just below it.
    let host_at = text.lines().position(|l| l == "# host: workers=4").unwrap() + 1;
    assert_eq!(runs[n2].1.line, host_at + 1);
    assert_eq!(text.lines().nth(runs[n2].1.line - 1), w4.lines().next());
    // An unreadable part names its line in the whole text; host lines alone read nothing.
    let bad = format!("{w2}\n# host: workers=4\nnot a load test\n");
    let junk_at = bad.lines().position(|l| l == "not a load test").unwrap() + 1;
    assert_eq!(planner::calibrate::parse_hosts(&bad).unwrap_err().line, junk_at);
    assert!(planner::calibrate::parse_hosts("# host: workers=4\n\n").is_err());
}
