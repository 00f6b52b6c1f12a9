//! Writes `samples/site.mst`: a site transform for `samples/clean-app.msi`
//! that sets a property and, by mistake, moves the deferred `InstallFoo`
//! after InstallFinalize (MCA101 deferred-outside-script), a defect only
//! the transformed package has.
//!
//! ```text
//! cargo run --example sample_transform -- samples/site.mst
//! ```

use msica::db::transform::validation_flags::{PRODUCT, UPGRADE_CODE};
use msica::testing::TransformBuilder;

const PRODUCT_CODE: &str = "{1720F8B2-D189-5122-B493-DFEE2B526D2D}";
const UPGRADE_CODE_VALUE: &str = "{80CA264B-BAE6-5BF9-9005-B762C6A808DE}";

fn main() {
    let out = std::env::args()
        .nth(1)
        .expect("usage: sample_transform OUT.mst");
    let transform = TransformBuilder::new()
        .products(
            (PRODUCT_CODE, "1.0.0"),
            (PRODUCT_CODE, "1.0.0"),
            UPGRADE_CODE_VALUE,
        )
        .validation(PRODUCT | UPGRADE_CODE)
        .insert("Property", vec!["SITE".into(), "HQ".into()])
        .update(
            "InstallExecuteSequence",
            vec!["InstallFoo".into()],
            vec![(2, 6700.into())],
        );
    std::fs::write(&out, transform.bytes()).expect("write the transform");
    eprintln!("wrote {out}");
}
