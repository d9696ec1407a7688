//! Every integration test, in one test binary (one link instead of one per
//! file): a module per area. Tests that need ../shared/data skip, saying
//! so, when it is absent.

mod common;

mod compas_evidence;
mod compas_reference;
mod counts;
mod disclosure;
mod evidence_rules;
mod explorer;
mod hostile_inputs;
mod indices_reference;
mod inequality_reference;
mod input_handling;
mod intersections_reference;
mod layout;
mod monitor_reference;
mod parallel_parts;
mod periods_reference;
mod power_reference;
mod properties;
mod scores_reference;
mod sheets;
mod stats_reference;
mod undefined_encoding;
mod verdict_simulation;
mod weights_reference;
