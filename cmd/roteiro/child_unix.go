//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// setProcessGroup põe o filho num grupo de processos próprio: o Ctrl-C do
// terminal não chega a ele diretamente (quem decide como pará-lo é o
// roteiro), e killGroup alcança qualquer processo que ele tenha criado.
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	setParentDeathSignal(cmd.SysProcAttr)
}

// terminate pede educadamente: SIGTERM, que os servidores tratam imprimindo
// o [RESUMO SERVIDOR].
func terminate(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}
}

// killGroup mata o grupo de processos do filho (SIGKILL em -pgid).
func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}
