use crate::model::rules::gunicorn::*;

#[test]
fn gunicorn_timeout_is_30_s_for_fast_requests() {
    assert_eq!(timeout_s(1000.0), 30);
}
