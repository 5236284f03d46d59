//! The integration tests, one module per area, in one test binary: each binary links the
//! whole crate and its dependencies again, so one binary instead of fourteen is most of a
//! cold `cargo test`'s link time.

mod architecture;
mod ci_formats;
mod cli;
mod eksctl;
mod fix;
mod fix_properties;
mod formats;
mod gate;
mod install;
mod map;
mod model;
mod properties;
mod readme;
mod render;
mod robustness;
mod terraform;
mod terraform_plan;
mod terragrunt;
