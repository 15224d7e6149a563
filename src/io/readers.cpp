#include "trueup/io/readers.hpp"
namespace trueup::io {
Result<FleetRead> parse_fleet(const FleetSources&, const RulePack&) { return Diagnostics{{Severity::error, "-", 0, 0, "pending", "reader pending"}}; }
Result<FleetRead> read_fleet(const std::filesystem::path&, const RulePack&) { return Diagnostics{{Severity::error, "-", 0, 0, "pending", "reader pending"}}; }
}
