// Package interrupt pede a um processo filho, no Windows, que pare como um
// Ctrl-C pediria: é como o roteiro e os testes de ponta a ponta param os
// servidores lá, para que eles terminem o que está em andamento e imprimam
// o [RESUMO SERVIDOR] (no Unix isso é um SIGTERM, e este pacote não é usado).
//
// O Windows não tem sinais. O que um programa de console recebe são
// "eventos de controle" do console: CTRL_C_EVENT (o Ctrl-C),
// CTRL_BREAK_EVENT (o Ctrl-Break) e outros, que o runtime do Go entrega ao
// programa como os.Interrupt. O jeito de mandar um deles a outro processo é
// GenerateConsoleCtrlEvent, que alcança um grupo de processos inteiro do
// mesmo console:
//
//	Prepare  o filho nasce num grupo de processos só dele
//	         (CREATE_NEW_PROCESS_GROUP): o Ctrl-C do terminal não chega a ele
//	         (um grupo novo ignora o Ctrl-C), e o evento do roteiro não
//	         chega a mais ninguém
//	Send     GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid do filho): o
//	         número do grupo é o pid do processo que o criou
//
// Sob o Wine 8, que roda os testes do Windows nesta máquina, isso não
// funciona: GenerateConsoleCtrlEvent recusa CTRL_BREAK_EVENT (com ou sem um
// console; scripts/wine/ctrlbreak mostra) e um grupo novo ignora o Ctrl-C.
// Lá, então, o filho nasce com um console só dele (CREATE_NEW_CONSOLE, que
// sob o Wine não abre janela nenhuma), e Send roda um ajudante (este mesmo
// programa, de novo) que se prende a esse console (AttachConsole) e manda
// CTRL_C_EVENT a todos os processos dele. O servidor recebe o mesmo
// os.Interrupt, por outro caminho.
package interrupt
