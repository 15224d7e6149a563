#include "trueup/io/writers.hpp"
namespace trueup::io {
std::string format_table(const Position&, const RulePack&, const Fleet&) { return {}; }
std::string format_json(const Position&, const RulePack&, const Fleet&) { return {}; }
Result<bool> write_file_atomically(const std::filesystem::path&, const std::string&) { return true; }
}
