#include "sim/run/child_run.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/workload.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/simulation.hpp"

namespace nvfp4::sim {
namespace {

struct Request {
  std::string yaml_text, name, base_dir, workload_path;
};

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);  // a socket: a dead peer is an error, never SIGPIPE
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<size_t>(k);
  }
  return true;
}

bool read_all(int fd, char* p, size_t n) {
  while (n > 0) {
    const ssize_t k = ::read(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<size_t>(k);
  }
  return true;
}

// Messages: an 8-byte length, then the bytes.
bool send_text(int fd, const std::string& s) {
  const uint64_t n = s.size();
  return write_all(fd, reinterpret_cast<const char*>(&n), 8) && write_all(fd, s.data(), s.size());
}

bool recv_text(int fd, std::string& s) {
  uint64_t n = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&n), 8)) return false;
  s.resize(n);
  return read_all(fd, s.data(), n);
}

// The CLI's steps (parse, validate, run, summary.json) with no output folder. First byte: 'S' summary, 'E' error.
std::string simulate(const Request& r) {
  try {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    Simulation simulation(parse_config(r.yaml_text, r.name, r.base_dir), workload::read_csv(r.workload_path),
                          r.workload_path);
    simulation.validate();
    simulation.run(RunControl{});
    std::ostringstream out;
    write_summary_json(out, simulation, RunInfo{r.name, r.workload_path});
    std::string reply = "S";
    reply += out.str();
    return reply;
  } catch (const std::exception& e) {
    return std::string("E") + e.what();
  }
}

// simulate() in a fresh child; 'D' + why when the child dies without a reply.
std::string fork_and_simulate(const Request& r) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return "Ecannot create a socket for the simulator child";
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return "Ecannot fork the simulator child";
  }
  if (pid == 0) {
    ::close(fds[0]);
    const std::string reply = simulate(r);
    write_all(fds[1], reply.data(), reply.size());
    ::_exit(0);  // no atexit handlers or static destructors of the parent's state
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
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !reply.empty()) return reply;
  std::string why = "D";
  why += WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                             : "status " + std::to_string(WEXITSTATUS(status));
  return why;
}

// Every descriptor but 0-2 and `keep` closed: the caller's sockets must close when the caller dies.
void close_other_fds(int keep) {
  std::vector<int> fds;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (const dirent* e = ::readdir(d)) {
      const int fd = std::atoi(e->d_name);
      if (fd > 2 && fd != keep && fd != ::dirfd(d)) fds.push_back(fd);
    }
    ::closedir(d);
  }
  for (const int fd : fds) ::close(fd);
}

[[noreturn]] void zygote_loop(int fd) {
  close_other_fds(fd);
  ::signal(SIGINT, SIG_DFL);  // the caller's handlers (Python's) do not belong to this process
  ::signal(SIGTERM, SIG_DFL);
  for (;;) {
    Request r;
    if (!recv_text(fd, r.yaml_text) || !recv_text(fd, r.name) || !recv_text(fd, r.base_dir) ||
        !recv_text(fd, r.workload_path))
      ::_exit(0);  // the caller went away
    if (!send_text(fd, fork_and_simulate(r))) ::_exit(0);
  }
}

struct Zygote {
  std::mutex mutex;
  pid_t owner = -1;  // the process that started it (a forked copy of the caller starts its own)
  pid_t pid = -1;
  int fd = -1;

  void start() {
    stop();
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw Error("cannot create a socket for the simulator");
    const pid_t p = ::fork();
    if (p < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      throw Error("cannot fork the simulator's zygote process");
    }
    if (p == 0) {
      ::close(fds[0]);
      zygote_loop(fds[1]);
    }
    ::close(fds[1]);
    owner = ::getpid();
    pid = p;
    fd = fds[0];
  }

  void stop() {
    if (fd < 0) return;
    ::close(fd);  // the zygote reads end of file and exits
    if (owner == ::getpid()) ::waitpid(pid, nullptr, 0);
    fd = -1;
  }
};

}  // namespace

std::string run_summary_in_child(const std::string& yaml_text, const std::string& name, const std::string& base_dir,
                                 const std::string& workload_path) {
  static Zygote zygote;
  std::lock_guard<std::mutex> lock(zygote.mutex);
  std::string reply;
  for (int attempt = 0; attempt < 2; ++attempt) {  // a zygote that died (killed) is started again once
    if (zygote.fd < 0 || zygote.owner != ::getpid()) zygote.start();
    if (send_text(zygote.fd, yaml_text) && send_text(zygote.fd, name) && send_text(zygote.fd, base_dir) &&
        send_text(zygote.fd, workload_path) && recv_text(zygote.fd, reply) && !reply.empty())
      break;
    zygote.stop();
    if (attempt == 1) throw Error("the simulator's zygote process died before sending a summary");
  }
  if (reply[0] == 'D') throw Error("the simulator child died (" + reply.substr(1) + ") before sending its summary");
  if (reply[0] == 'E') throw Error(reply.substr(1));
  return reply.substr(1);
}

}  // namespace nvfp4::sim
