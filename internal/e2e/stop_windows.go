package e2e

import (
	"os"
	"os/exec"

	"roteiro2/internal/interrupt"
	"roteiro2/internal/wine"
)

// stopName é como o pedido de parada se chama aqui (mensagens).
const stopName = "CTRL_BREAK_EVENT"

// prepare põe o servidor num grupo de processos só dele (sob o Wine, num
// console só dele), para que Terminate o alcance sem atingir mais ninguém.
func prepare(c *exec.Cmd) { interrupt.Prepare(c) }

// Terminate pede ao servidor que pare como o Ctrl-C pediria: no Windows não
// há SIGTERM, e o pedido é um evento de controle do console
// (CTRL_BREAK_EVENT; sob o Wine, CTRL_C_EVENT: veja internal/interrupt), que
// o runtime do Go entrega ao servidor como os.Interrupt.
func (s *Server) Terminate() error { return interrupt.Send(s.Pid()) }

// ctrlC: no Windows o Ctrl-C e o pedido de parada são o mesmo evento.
func (s *Server) ctrlC() error { return s.Terminate() }

// endedByCtrlC diz se o processo terminou pela ação padrão do evento, sem
// tratá-lo: o Windows sai com STATUS_CONTROL_C_EXIT; a ação padrão do Wine 8
// sai com 0 (aí quem chama confere também que não houve resumo).
func endedByCtrlC(ps *os.ProcessState) bool {
	code := ps.ExitCode()
	return interrupt.ExitedByInterrupt(code) || wine.Detected() && code == 0
}
