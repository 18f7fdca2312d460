#include "sim/run/child_run.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include "numerics/error.hpp"
#include "numerics/workload.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/simulation.hpp"

namespace nvfp4::sim {
namespace {

void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// The child: the CLI's steps (validate, run, summary.json) with no output folder. First byte: 'S' summary, 'E' error.
[[noreturn]] void child(int fd, const SimConfig& config, const std::string& workload_path, const std::string& arch_name) {
  std::string reply;
  try {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    Simulation simulation(config, workload::read_csv(workload_path), workload_path);
    simulation.validate();
    simulation.run(RunControl{});
    std::ostringstream out;
    write_summary_json(out, simulation, RunInfo{arch_name, workload_path});
    reply = "S" + out.str();
  } catch (const std::exception& e) {
    reply = std::string("E") + e.what();
  }
  write_all(fd, reply);
  ::close(fd);
  ::_exit(0);  // no atexit handlers or static destructors of the parent's state
}

}  // namespace

std::string run_summary_in_child(const SimConfig& config, const std::string& workload_path,
                                 const std::string& arch_name) {
  int fds[2];
  if (::pipe(fds) != 0) throw Error("cannot create a pipe for the simulator child");
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error("cannot fork the simulator child");
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(fds[1], config, workload_path, arch_name);
  }
  ::close(fds[1]);
  std::string reply;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty())
    throw Error("the simulator child died (" +
                (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                     : "status " + std::to_string(WEXITSTATUS(status))) +
                ") before sending its summary");
  if (reply[0] == 'E') throw Error(reply.substr(1));
  return reply.substr(1);
}

}  // namespace nvfp4::sim
