package osc

import "syscall"

// sysProcAttr makes the engine get SIGTERM when Strata's process dies
// (killed, crashed), so that no engine outlives the run that started it
// unseen; pt-osc cleans up its triggers and copy on SIGTERM.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
