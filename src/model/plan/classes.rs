//! The plan's request classes: 1 to 8, each with a share of the traffic, its CPU time and
//! off-CPU wait, and optionally its own cv and p95 objective (PLANNER.md §1 "Workload mix").

use super::Plan;
use crate::model::field::{Field, FieldError};

/// The most request classes a plan has.
pub const MAX_CLASSES: usize = 8;

/// The kinds of request the guides size by (PLANNER.md §1 "Workload mix", §2 "async
/// workers": WORKERS_PER_CORE 1 CPU-bound, 2–4 I/O-bound, 2 mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Cpu = 0,
    Io = 1,
    Mixed = 2,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Cpu, Class::Io, Class::Mixed];

    pub fn label(self) -> &'static str {
        match self {
            Class::Cpu => "CPU-bound",
            Class::Io => "I/O-bound",
            Class::Mixed => "mixed",
        }
    }
}

/// One request class of the plan as the model reads it: its share of the requests, what
/// one of its requests asks of the CPU and how long it waits off the CPU, how variable both
/// are, and its latency objective.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestClass {
    pub name: String,
    /// Share of the requests, 0–1 (the classes' shares sum to 1).
    pub share: f64,
    /// The app's CPU time per request, ms (without the server's and the driver's).
    pub cpu_ms: f64,
    /// Off-CPU wait per request (I/O, calls to other services), ms.
    pub wait_ms: f64,
    /// Coefficient of variation of its CPU time and of its wait (1 = exponential).
    pub cv: f64,
    /// Its p95 objective, ms.
    pub p95_objective_ms: f64,
}

/// Per-class values: the first `n` are the classes', the rest 0.
type Each = [f64; MAX_CLASSES];

impl Plan {
    /// The plan's request classes in its order.
    pub fn classes(&self) -> Vec<RequestClass> {
        let fr = self.mix_fractions();
        (0..self.class_count)
            .map(|i| {
                let cv = self.cv_each.map_or(self.cv, |xs| xs[i]);
                RequestClass {
                    name: self.class_name(i),
                    share: fr[i],
                    cpu_ms: self.cpu_ms[i].max(0.0),
                    wait_ms: self.wait_ms[i].max(0.0),
                    cv: if cv.is_finite() { cv.max(0.0) } else { 1.0 },
                    p95_objective_ms: self.p95_each.map_or(self.p95_objective_ms, |xs| xs[i]),
                }
            })
            .collect()
    }

    /// The mix as fractions summing to 1 (0 past the classes).
    pub fn mix_fractions(&self) -> Each {
        let total: u32 = self.mix_pct.iter().sum();
        let total = total.max(1) as f64;
        self.mix_pct.map(|p| p as f64 / total)
    }

    /// Class `i`'s name: as set, else the guides' three kinds for three classes, else "class 2".
    pub fn class_name(&self, i: usize) -> String {
        match (self.class_names.is_empty(), self.class_count) {
            (false, _) => self.class_names.split(',').nth(i).unwrap_or_default().to_string(),
            (true, 3) => Class::ALL[i % 3].label().to_string(),
            _ => format!("class {}", i + 1),
        }
    }

    /// The kind of class `i`. Three unnamed classes are the guides' CPU-bound, I/O-bound
    /// and mixed by position (the plans before named classes). Otherwise by its off-CPU
    /// wait against its CPU time: CPU-bound while it waits less than it computes (the CPU
    /// is what bounds it, so one process per core keeps the core busy: WORKERS_PER_CORE 1);
    /// I/O-bound from 10× (≥ 90 % of its time off the CPU, when 2–4 processes per core
    /// are needed to fill it); mixed between. The default classes (2/6, 30/1, 12/2.5)
    /// fall in their kinds.
    pub fn kind(&self, i: usize) -> Class {
        if self.class_count == 3 && self.class_names.is_empty() {
            return Class::ALL[i % 3];
        }
        let (cpu, wait) = (self.cpu_ms[i], self.wait_ms[i]);
        if wait < cpu {
            Class::Cpu
        } else if wait >= 10.0 * cpu {
            Class::Io
        } else {
            Class::Mixed
        }
    }

    /// The mix's shares by kind, % (CPU-bound, I/O-bound, mixed): what the guides' rules read.
    pub fn kind_pct(&self) -> [u32; 3] {
        let mut pct = [0; 3];
        for i in 0..self.class_count {
            pct[self.kind(i) as usize] += self.mix_pct[i];
        }
        pct
    }

    /// The mix sets the number of classes: the other per-class values follow (a new class
    /// copies the last one, a name is "class N").
    pub(super) fn set_mix(&mut self, (pct, n): ([u32; MAX_CLASSES], usize)) {
        let old = self.class_count;
        self.mix_pct = pct;
        self.class_count = n;
        for xs in [&mut self.cpu_ms, &mut self.wait_ms].into_iter().chain(self.cv_each.as_mut()).chain(self.p95_each.as_mut()) {
            for i in 0..MAX_CLASSES {
                xs[i] = if i >= n { 0.0 } else if i >= old { xs[old - 1] } else { xs[i] };
            }
        }
        if !self.class_names.is_empty() {
            let names: Vec<String> = (0..n).map(|i| if i < old { self.class_name(i) } else { format!("class {}", i + 1) }).collect();
            self.class_names = names.join(",");
        }
        self.settle();
    }

    /// `cv`/`p95_objective_ms` as the largest/strictest of the classes' own, or None when
    /// they are all the same (one value then).
    pub(super) fn settle(&mut self) {
        let n = self.class_count;
        for (one, each, fold) in [(&mut self.cv, &mut self.cv_each, f64::max as fn(f64, f64) -> f64), (&mut self.p95_objective_ms, &mut self.p95_each, f64::min)] {
            if let Some(xs) = each {
                *one = xs[1..n].iter().copied().fold(xs[0], fold);
                if xs[..n].iter().all(|&x| x == xs[0]) {
                    *each = None;
                }
            }
        }
    }

    /// One value per class, as many as the mix has.
    pub(super) fn per_class(&self, field: Field, t: &str) -> Result<Each, FieldError> {
        let (xs, n) = field.values(t, Field::number)?;
        field.count(t, n, self.class_count)?;
        Ok(xs)
    }

    /// One value for every class, or one per class.
    pub(super) fn each(&self, field: Field, t: &str) -> Result<(f64, Option<Each>), FieldError> {
        let (xs, n) = field.values(t, Field::number)?;
        if n == 1 {
            return Ok((xs[0], None));
        }
        field.count(t, n, self.class_count)?;
        Ok((xs[0], Some(xs)))
    }

    /// The first value out of the field's range, one for all or each class's.
    pub(super) fn each_in_range(&self, field: Field, one: f64, each: &Option<Each>) -> Option<FieldError> {
        match each {
            Some(xs) => xs[..self.class_count].iter().find_map(|&x| field.in_range(x)),
            None => field.in_range(one),
        }
    }

    /// The classes' names: 1–24 of letters, digits, '-', '_', '/' and spaces each, one per
    /// class ("" = the default names).
    pub(super) fn set_names(&mut self, field: Field, t: &str) -> Result<(), FieldError> {
        let names: Vec<&str> = t.split(',').map(str::trim).collect();
        if t.is_empty() {
            self.class_names.clear();
            return Ok(());
        }
        field.count(t, names.len(), self.class_count)?;
        if let Some(bad) = names.iter().find(|s| s.is_empty() || s.len() > 24 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/ ".contains(&b))) {
            return Err(FieldError { field, value: t.to_string(), message: format!("'{bad}': use 1–24 letters, digits, '-', '_', '/', spaces") });
        }
        self.class_names = names.join(",");
        Ok(())
    }

    /// Names every class but `skip` as it is shown, so adding or removing one keeps the
    /// others' names.
    fn name_all(&mut self, skip: usize) {
        self.class_names = (0..self.class_count).filter(|&i| i != skip).map(|i| self.class_name(i)).collect::<Vec<_>>().join(",");
    }

    /// One more class (up to 8), a copy of the last with no share.
    pub fn add_class(&mut self) {
        if self.class_count < MAX_CLASSES {
            self.name_all(MAX_CLASSES);
            let mut pct = self.mix_pct;
            pct[self.class_count] = 0;
            self.set_mix((pct, self.class_count + 1));
        }
    }

    /// Removes class `i` (down to 1); its share goes to the first class left.
    pub fn remove_class(&mut self, i: usize) {
        let n = self.class_count;
        if n < 2 || i >= n {
            return;
        }
        self.name_all(i);
        let share = self.mix_pct[i];
        drop_at(&mut self.mix_pct, i);
        self.mix_pct[0] += share;
        for xs in [&mut self.cpu_ms, &mut self.wait_ms].into_iter().chain(self.cv_each.as_mut()).chain(self.p95_each.as_mut()) {
            drop_at(xs, i);
        }
        self.class_count = n - 1;
        self.settle();
    }
}

/// Removes `xs[i]`, shifting the rest down and leaving a default at the end.
fn drop_at<T: Copy + Default>(xs: &mut [T; MAX_CLASSES], i: usize) {
    xs.copy_within(i + 1.., i);
    xs[MAX_CLASSES - 1] = T::default();
}

/// Three classes' values as the plan holds them (tests and fixed plans).
pub fn three<T: Copy + Default>(xs: [T; 3]) -> [T; MAX_CLASSES] {
    let mut out = [T::default(); MAX_CLASSES];
    out[..3].copy_from_slice(&xs);
    out
}
