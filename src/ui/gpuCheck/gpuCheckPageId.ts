// The GPU check page's route ('#/gpu-check'), shared by the route table, the footer link and the gate's notice.
export const GPU_CHECK_PAGE_ID = 'gpu-check';
