//! Which copies an image gets, from its upright size and its roles. Pure
//! arithmetic, so the sizes can be read (and tested) in one place.

use super::{Role, Roles};

/// Card and gallery thumbnails.
pub const THUMBNAIL_WIDTHS: [u32; 2] = [320, 640];
/// The viewing copy: the long side at most this.
pub const VIEW_LONG_SIDE: u32 = 1600;
/// A step between the thumbnails and the viewing copy, for phones with a
/// device pixel ratio of about 2.5 in a 390-px column.
pub const VIEW_STEP: u32 = 960;
/// The share image: long side about this, short side at least
/// [`SHARE_MIN_SHORT_SIDE`] (WeChat's minimum for a share card), at most
/// [`SHARE_MAX_BYTES`].
pub const SHARE_LONG_SIDE: u32 = 1200;
pub const SHARE_MIN_SHORT_SIDE: u32 = 300;
pub const SHARE_MAX_BYTES: u64 = 300_000;

/// Sizes to make, upright, never larger than the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Resized copies, by width, each width once.
    pub sized: Vec<(u32, u32)>,
    pub share: Option<(u32, u32)>,
}

impl Plan {
    /// The largest size any copy needs: what decoding must deliver.
    pub fn largest(&self) -> (u32, u32) {
        self.sized
            .iter()
            .chain(self.share.iter())
            .copied()
            .max_by_key(|&(w, h)| u64::from(w) * u64::from(h))
            .unwrap_or((1, 1))
    }
}

/// `w`×`h` scaled to width `tw` (at most `w`).
fn fit_width(w: u32, h: u32, tw: u32) -> (u32, u32) {
    let tw = tw.min(w).max(1);
    (tw, scaled(h, tw, w))
}

/// `x * num / den`, rounded, at least 1.
fn scaled(x: u32, num: u32, den: u32) -> u32 {
    let v = (u64::from(x) * u64::from(num) + u64::from(den) / 2) / u64::from(den.max(1));
    (v as u32).max(1)
}

/// Scales `w`×`h` by `factor` (at most 1).
fn by_factor(w: u32, h: u32, factor: f64) -> (u32, u32) {
    let f = factor.min(1.0);
    let r = |x: u32| ((f64::from(x) * f).round() as u32).max(1);
    if f >= 1.0 { (w, h) } else { (r(w), r(h)) }
}

pub(crate) fn plan(w: u32, h: u32, roles: Roles) -> Plan {
    let mut sized = Vec::new();
    if roles.contains(Role::Thumbnail) {
        for tw in THUMBNAIL_WIDTHS {
            sized.push(fit_width(w, h, tw));
        }
    }
    if roles.contains(Role::View) {
        let long = w.max(h);
        let view = by_factor(w, h, f64::from(VIEW_LONG_SIDE) / f64::from(long.max(1)));
        if VIEW_STEP < view.0 {
            sized.push(fit_width(w, h, VIEW_STEP));
        }
        sized.push(view);
    }
    sized.sort_unstable();
    sized.dedup_by_key(|s| s.0);
    let share = roles.contains(Role::Share).then(|| {
        let (long, short) = (w.max(h), w.min(h).max(1));
        let mut f = f64::from(SHARE_LONG_SIDE) / f64::from(long.max(1));
        if f64::from(short) * f < f64::from(SHARE_MIN_SHORT_SIDE) {
            f = f64::from(SHARE_MIN_SHORT_SIDE) / f64::from(short);
        }
        by_factor(w, h, f)
    });
    Plan { sized, share }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Roles {
        Role::Thumbnail | Role::View | Role::Share
    }

    #[test]
    fn a_phone_photo() {
        let p = plan(4032, 3024, all());
        assert_eq!(
            p.sized,
            vec![(320, 240), (640, 480), (960, 720), (1600, 1200)]
        );
        assert_eq!(p.share, Some((1200, 900)));
        assert_eq!(p.largest(), (1600, 1200));
        let portrait = plan(3024, 4032, all());
        assert_eq!(
            portrait.sized,
            vec![(320, 427), (640, 853), (960, 1280), (1200, 1600)]
        );
        assert_eq!(portrait.share, Some((900, 1200)));
    }

    #[test]
    fn never_upscaled() {
        let p = plan(500, 400, all());
        assert_eq!(p.sized, vec![(320, 256), (500, 400)]);
        assert_eq!(p.share, Some((500, 400)));
        let tiny = plan(64, 64, all());
        assert_eq!(tiny.sized, vec![(64, 64)]);
    }

    #[test]
    fn roles_choose_the_copies() {
        assert_eq!(
            plan(4032, 3024, Roles::from(Role::Thumbnail)).sized,
            vec![(320, 240), (640, 480)]
        );
        let view = plan(4032, 3024, Roles::from(Role::View));
        assert_eq!(view.sized, vec![(960, 720), (1600, 1200)]);
        assert_eq!(view.share, None);
        let share = plan(4032, 3024, Roles::from(Role::Share));
        assert!(share.sized.is_empty());
        assert_eq!(share.largest(), (1200, 900));
    }

    #[test]
    fn a_panorama_keeps_a_short_side_of_300_for_sharing() {
        let p = plan(12000, 1500, Roles::from(Role::Share));
        assert_eq!(p.share, Some((2400, 300)));
        let view = plan(12000, 1500, Roles::from(Role::View));
        assert_eq!(view.sized, vec![(960, 120), (1600, 200)]);
    }
}
