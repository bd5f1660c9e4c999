//! What `serve` holds of the outputs it made: the file of every route and
//! what the route read when it was made, kept in route order so that an
//! edit that leaves the site's layout as it was (the common case) looks up
//! nothing by name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::deps::Dep;
use crate::files::OutputFile;
use crate::produce::Made;
use crate::routes::Route;

#[derive(Default)]
pub(super) struct Outputs {
    /// The output by path, as served.
    pub(super) files: BTreeMap<String, Arc<OutputFile>>,
    /// Every route's path, in route order.
    paths: Vec<String>,
    /// What each route read, in the same order (`None`: not made yet).
    deps: Vec<Option<Box<[Dep]>>>,
}

impl Outputs {
    /// Which of `routes` (at `paths`) to make again: the positions of those
    /// not made before and of those whose deps `stale` says changed. A QR
    /// code depends on nothing but its own path, so one already made is
    /// always kept.
    pub(super) fn todo(
        &self,
        routes: &[Route],
        paths: &[String],
        stale: impl Fn(&[Dep]) -> bool,
    ) -> Vec<usize> {
        let aligned = paths == self.paths;
        let by_path: HashMap<&str, usize> = if aligned {
            HashMap::new()
        } else {
            let named = self.paths.iter().enumerate();
            named.map(|(i, p)| (p.as_str(), i)).collect()
        };
        let old = |i: usize, path: &str| {
            let at = if aligned {
                Some(i)
            } else {
                by_path.get(path).copied()
            };
            at.and_then(|k| self.deps.get(k)?.as_deref())
        };
        (0..routes.len())
            .filter(|&i| match old(i, &paths[i]) {
                Some(_) if matches!(routes[i], Route::Qr(_)) => false,
                Some(deps) => stale(deps),
                None => true,
            })
            .collect()
    }

    /// Puts what was made for the routes at positions `todo` in place, for
    /// a site with routes at `paths`, and forgets the outputs it no longer has.
    pub(super) fn keep(
        &mut self,
        paths: Vec<String>,
        todo: &[usize],
        routes: &[Route],
        made: Vec<Made>,
    ) {
        if paths != self.paths {
            let mut deps: HashMap<&str, Box<[Dep]>> = HashMap::new();
            let old = std::mem::take(&mut self.deps);
            for (p, d) in self.paths.iter().zip(old) {
                if let Some(d) = d {
                    deps.insert(p, d);
                }
            }
            let live: HashSet<&str> = paths.iter().map(String::as_str).collect();
            self.files.retain(|k, _| live.contains(k.as_str()));
            self.deps = paths.iter().map(|p| deps.remove(p.as_str())).collect();
            self.paths = paths;
        }
        let at: FxHashMap<Route, usize> = todo.iter().map(|&i| (routes[i], i)).collect();
        for m in made {
            if let Some(&i) = m.route.as_ref().and_then(|r| at.get(r)) {
                self.deps[i] = Some(m.deps);
            }
            self.files.insert(m.file.path.clone(), Arc::new(m.file));
        }
    }
}
