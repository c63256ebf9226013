//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// setProcessGroup põe o filho num grupo de processos próprio: o Ctrl-C do
// terminal não chega a ele diretamente (quem decide como pará-lo é o
// roteiro), e os sinais do roteiro alcançam qualquer processo que ele tenha
// criado (um servidor iniciado por um invólucro, por exemplo).
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	setParentDeathSignal(cmd.SysProcAttr)
}

// stopName é o pedido de parada, para as mensagens.
const stopName = "SIGTERM"

// terminate pede educadamente: SIGTERM ao grupo, que os servidores deste
// projeto tratam imprimindo o [RESUMO SERVIDOR]. No Unix o pedido sempre
// sai (um grupo que já não existe não tem a quem parar): nunca há erro.
func (c *child) terminate() error {
	c.signalGroup(syscall.SIGTERM)
	return nil
}

// kill mata o grupo inteiro (SIGKILL).
func (c *child) kill() { c.signalGroup(syscall.SIGKILL) }

// signalGroup envia sig ao grupo -pid, a menos que o filho já tenha sido
// colhido: daí em diante o número pode ser de outro processo.
func (c *child) signalGroup(sig syscall.Signal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone {
		return
	}
	_ = syscall.Kill(-c.cmd.Process.Pid, sig)
}

// killedByTerm diz se o filho terminou pelo SIGTERM do roteiro: é como um
// programa Python sai quando não trata o sinal, e não é uma falha.
func (c *child) killedByTerm() bool {
	if c.cmd.ProcessState == nil {
		return false
	}
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM
}
