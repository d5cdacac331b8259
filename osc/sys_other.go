//go:build !linux

package osc

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
